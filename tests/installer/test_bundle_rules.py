"""The bundle rules: which Qt plugins, translations and libraries the spec keeps."""

from __future__ import annotations

from datetime import UTC

import pytest

from installer import bundle_rules as rules


@pytest.mark.parametrize(
    ("filename", "name"),
    [
        ("libqxcb.so", "xcb"),
        ("qwindows.dll", "windows"),
        ("libqcocoa.dylib", "cocoa"),
        ("libqwayland-generic.so", "wayland-generic"),
        ("libxdg-shell.so", "xdg-shell"),
        ("libqsvgicon.so", "svgicon"),
    ],
)
def test_plugin_names_match_the_kept_lists(filename, name):
    assert rules.plugin_name(filename) == name


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/plugins/platforms/qwindows.dll", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
        ("PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so", False),
        ("PySide6/Qt/plugins/styles/libqmodernwindowsstyle.so", True),
        # Qt's own texts for the shipped languages only; no tool translations.
        ("PySide6/Qt/translations/qtbase_de.qm", True),
        ("PySide6\\translations\\qtbase_fr.qm", True),
        ("PySide6/Qt/translations/qtbase_zh_CN.qm", True),
        ("PySide6/Qt/translations/qtbase_ru.qm", False),
        ("PySide6/Qt/translations/qtbase_zh_TW.qm", False),
        ("PySide6/Qt/translations/designer_de.qm", False),
        ("PySide6/Qt/translations/qt_help_de.qm", False),
        # Babel's CLDR data: the shipped languages and their parents only.
        ("babel/locale-data/de.dat", True),
        ("babel/locale-data/zh_Hans_CN.dat", True),
        ("babel/locale-data/root.dat", True),
        ("babel/locale-data/de_AT.dat", False),
        ("babel/locale-data/ru.dat", False),
        ("babel/global.dat", True),
        ("PySide6/Qt/lib/libQt6Core.so.6", True),
        ("resources/vendor.toml", True),
    ],
)
def test_keep_entry(dest, kept):
    assert rules.keep_entry(dest) is kept


def test_qt_libraries_are_recognised_on_every_platform():
    assert rules.is_qt_library("PySide6/Qt/lib/libQt6Gui.so.6")
    assert rules.is_qt_library("PySide6/Qt6Gui.dll")
    assert rules.is_qt_library("PySide6/Qt/lib/QtGui.framework/Versions/A/QtGui")
    assert not rules.is_qt_library("PySide6/QtGui.abi3.so")
    assert not rules.is_qt_library("libpython3.11.so.1.0")


def _imports(graph):
    return lambda src: graph.get(src, [])


def test_unneeded_qt_libraries_are_pruned_and_needed_ones_kept():
    binaries = [
        ("PySide6/QtWidgets.abi3.so", "/s/QtWidgets.abi3.so", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", "/s/libQt6Widgets.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/s/libQt6Gui.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Quick.so.6", "/s/libQt6Quick.so.6", "BINARY"),
    ]
    graph = {
        "/s/QtWidgets.abi3.so": ["libQt6Widgets.so.6"],
        "/s/libQt6Widgets.so.6": ["libQt6Gui.so.6", "libc.so.6"],
        "/s/libQt6Quick.so.6": ["libQt6Gui.so.6"],
    }
    kept, dropped = rules.prune_qt_libraries(binaries, _imports(graph))
    assert dropped == ["PySide6/Qt/lib/libQt6Quick.so.6"]
    assert [e[0] for e in kept] == [e[0] for e in binaries[:3]]


def test_libraries_only_dropped_plugins_needed_are_pruned():
    kept = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/s/libqxcb.so", "BINARY"),
        ("libX11.so.6", "/s/libX11.so.6", "BINARY"),
        ("libgtk-3.so.0", "/s/libgtk-3.so.0", "BINARY"),
        ("libcairo.so.2", "/s/libcairo.so.2", "BINARY"),
    ]
    dropped = [("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/s/libqgtk3.so", "BINARY")]
    graph = {
        "/s/libqxcb.so": ["libX11.so.6"],
        "/s/libqgtk3.so": ["libgtk-3.so.0", "libX11.so.6"],
        "/s/libgtk-3.so.0": ["libcairo.so.2", "libX11.so.6"],
    }
    remaining, orphans = rules.prune_orphans(kept, dropped, _imports(graph))
    assert orphans == ["libcairo.so.2", "libgtk-3.so.0"]
    assert [e[0] for e in remaining] == ["PySide6/Qt/plugins/platforms/libqxcb.so", "libX11.so.6"]


def test_symlinks_to_pruned_files_are_dropped():
    entries = [
        ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
        ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
        ("resources/vendor.toml", "/src/vendor.toml", "DATA"),
    ]
    kept = rules.drop_dangling_symlinks(entries, {"PySide6/Qt/lib/libQt6Gui.so.6"})
    assert [e[0] for e in kept] == ["libQt6Gui.so.6", "resources/vendor.toml"]


def test_used_qt_modules_found_in_source(tmp_path):
    (tmp_path / "a.py").write_text("from PySide6.QtSvg import QSvgRenderer\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("from PySide6 import QtNetwork, QtCore\n", encoding="utf-8")
    used = rules.used_qt_modules(tmp_path)
    assert used == {"QtCore", "QtGui", "QtWidgets", "QtSvg", "QtNetwork"}
    excludes = rules.pyside_excludes({"QtCore", "QtSvg", "QtQuick", "QtPdf"}, used)
    assert excludes == ["PySide6.QtPdf", "PySide6.QtQuick"]


def test_servers_and_test_tools_are_excluded():
    assert {"app.standin", "app.relay", "pytest", "hypothesis", "starlette", "uvicorn"} <= set(
        rules.EXCLUDED_MODULES
    )


def test_store_uncompressed_clears_only_the_named_files_compression():
    toc = [
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/src/libQt6Gui.so.6", True, "b"),
        ("libpython3.11.so.1.0", "/src/libpython3.11.so.1.0", True, "b"),
        ("PYZ.pyz", "/work/PYZ.pyz", False, "z"),
    ]
    stored = rules.store_uncompressed(toc, frozenset({"libQt6Gui.so.6"}))
    assert [compress for _, _, compress, _ in stored] == [False, True, False]
    assert [(d, s, t) for d, s, _, t in stored] == [(d, s, t) for d, s, _, t in toc]


def test_the_kept_translations_are_the_shipped_languages():
    from app.i18n.languages import SHIPPED, SOURCE_LANGUAGE

    assert set(SHIPPED) - {SOURCE_LANGUAGE} == rules.TRANSLATED_LANGUAGES


def test_the_kept_babel_data_is_what_formatting_every_shipped_language_loads():
    """Formatting in each shipped language touches only the kept locale files (and they stay
    under 2 MB, against ~35 MB for all of them)."""
    from datetime import date, datetime
    from pathlib import Path

    import babel.localedata as localedata

    from app.i18n import formats
    from app.i18n.languages import SHIPPED

    localedata._cache.clear()
    for language in SHIPPED:
        formats.format_date(date(2026, 3, 3), language)
        formats.format_datetime(datetime(2026, 3, 3, 12, tzinfo=UTC), language)
        formats.format_duration(5000, language)
        formats.format_list(["a", "b", "c"], language)
        formats.format_number(1234.5, language)
    loaded = set(localedata._cache)
    assert loaded <= rules.KEPT_BABEL_LOCALES, loaded - rules.KEPT_BABEL_LOCALES
    data = Path(localedata.__file__).parent / "locale-data"
    size = sum((data / f"{name}.dat").stat().st_size for name in rules.KEPT_BABEL_LOCALES)
    assert size < 2_000_000

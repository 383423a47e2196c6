"""The unexpected-error dialog: plain words first; the traceback only behind "Details" and in
the copied report (key masked), never on the first view."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from app.ui.error_dialog import ErrorReportDialog
from app.ui.support_report import crash_report

KEY = "DEMO-ABCD-EFGH-IJKL-MNOP"


def _dialog(qtbot, make_config) -> ErrorReportDialog:
    try:
        raise RuntimeError(f"boom while handling {KEY}")
    except RuntimeError:
        import traceback

        text = traceback.format_exc()
    report = crash_report(make_config(), text, KEY)
    dialog = ErrorReportDialog(report, product="Studio Pro", vendor="Example Software")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _visible_texts(dialog: ErrorReportDialog) -> str:
    from PySide6.QtWidgets import QAbstractButton, QLabel, QPlainTextEdit

    texts = [w.text() for w in dialog.findChildren(QLabel) if w.isVisible()]
    texts += [w.text() for w in dialog.findChildren(QAbstractButton) if w.isVisible()]
    texts += [w.toPlainText() for w in dialog.findChildren(QPlainTextEdit) if w.isVisible()]
    return "\n".join(texts)


def test_first_view_is_plain_words_without_the_traceback(qtbot, make_config):
    dialog = _dialog(qtbot, make_config)
    shown = _visible_texts(dialog)
    assert "Traceback" not in shown and "RuntimeError" not in shown and "File " not in shown
    assert "Studio Pro activation ran into an unexpected problem" in shown
    assert "Copy report" in shown and "Example Software support" in shown
    assert not dialog.report.isVisible()
    assert dialog.details_button.isChecked() is False
    assert dialog.focusWidget() is dialog.copy_button and dialog.copy_button.isDefault()


def test_details_toggle_shows_and_hides_the_report(qtbot, make_config):
    dialog = _dialog(qtbot, make_config)
    toggle = dialog.details_button
    assert toggle.accessibleName() and toggle.accessibleDescription()
    assert dialog.report.accessibleName() and dialog.report.accessibleDescription()
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.report.isVisible)
    assert toggle.arrowType() == Qt.ArrowType.DownArrow
    assert "Traceback" in _visible_texts(dialog)
    qtbot.keyClick(toggle, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not dialog.report.isVisible())
    assert toggle.arrowType() == Qt.ArrowType.RightArrow


def test_copy_report_copies_the_masked_traceback_with_details_closed(qtbot, make_config):
    dialog = _dialog(qtbot, make_config)
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert "Traceback" in copied and "RuntimeError: boom while handling" in copied
    assert "Studio Pro" in copied
    assert KEY not in copied and "DEMO-…-MNOP" in copied
    assert dialog.copy_button.text() == "Copied"
    assert not dialog.report.isVisible()


def test_the_closed_arrow_follows_right_to_left(qtbot, make_config):
    dialog = _dialog(qtbot, make_config)
    dialog.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    dialog.show_details(True)
    dialog.show_details(False)
    assert dialog.details_button.arrowType() == Qt.ArrowType.LeftArrow

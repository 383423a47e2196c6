"""The GUI entry point: QApplication, theme, excepthook, demo servers, the wizard's lifetime."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from app.config import VendorConfig, with_overrides
from app.domain.exit_codes import EXIT_UNEXPECTED
from app.i18n import _
from app.ui.accessibility import install_accessibility
from app.ui.bench_hook import install_first_paint_hook
from app.ui.context import WizardContext
from app.ui.display_check import display_missing
from app.ui.theme import apply_theme
from app.ui.translations import install_language
from app.ui.wizard import ActivationWizard, window_title
from app.ui.workers import wait_for_workers

if TYPE_CHECKING:
    from app.ui.error_dialog import ErrorReportDialog

log = logging.getLogger(__name__)

#: The command's name in messages (the same as ``app.cli.parser.PROGRAM``).
PROGRAM = "activation-wizard"

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], Any]


def run_gui(config: VendorConfig, *, demo: bool = False) -> int:
    """Show the wizard until it closes. 0 when it closed normally, 1 after an unexpected
    error was reported or when the window cannot open here (no display: see ``no_window``)."""
    if display_missing():  # Qt would abort the process: say so in words instead
        return no_window(config)
    app = _application(config)
    servers = _start_demo(config) if demo else None
    context = _context(config, servers)
    # Only now is the product final (the demo names its own): Qt appends this to every title.
    app.setApplicationDisplayName(window_title(context.config))
    hook = ReportingExceptHook(context)
    previous, sys.excepthook = sys.excepthook, hook
    wizard = ActivationWizard(context)
    install_first_paint_hook(wizard)  # start-up benchmarks only; inert without its env var
    try:
        wizard.show()
        app.exec()
    finally:
        sys.excepthook = previous
        wait_for_workers()  # a worker still talking to the servers must end before they stop
        context.services.close()
        if servers is not None:
            servers.stop()
    return 1 if hook.reported else 0


def no_window(config: VendorConfig) -> int:
    """Tell the user (and a script's log) why no window opens and what works instead."""
    message = _(
        "{product} cannot open its activation window: this computer has no display for it "
        "(for example over SSH or in a script), or the system libraries the window needs are "
        "missing. Without a window, activate with `{program} activate --key-file FILE` and "
        "check the activation with `{program} check`."
    ).format(product=config.product_name, program=PROGRAM)
    sys.stderr.write(f"{PROGRAM}: {message}\n")
    sys.stderr.flush()
    return EXIT_UNEXPECTED


def _application(config: VendorConfig) -> QApplication:
    app = QApplication.instance() or _new_application(config)
    assert isinstance(app, QApplication)
    app.setApplicationName(config.app_id)
    app.setOrganizationName(config.vendor_name)
    install_language(app, config.language)  # before any window: pages read their texts once
    install_accessibility()  # after the QApplication, before any widget is read
    apply_theme(app, config)
    return app


def _new_application(config: VendorConfig) -> QApplication:
    """The QApplication. Qt's start-up chatter goes to the log; when its window system cannot
    start, Qt's fatal message would abort the process: explain and exit instead."""

    def on_qt_message(kind: QtMsgType, _context: QMessageLogContext, text: str) -> None:
        if kind == QtMsgType.QtFatalMsg:
            log.error("Qt cannot start: %s", text)
            os._exit(no_window(config))  # Qt aborts right after this handler returns
        log.debug("Qt: %s", text)

    previous = qInstallMessageHandler(on_qt_message)
    try:
        return QApplication(sys.argv[:1])
    finally:
        qInstallMessageHandler(previous)


def _start_demo(config: VendorConfig) -> Any:
    from app.ui.demo import DemoServers
    from app.ui.wiring import user_data_dir

    # the demo's own folder, never the product's (demo activations must not count for it)
    return DemoServers(user_data_dir(with_overrides(config, demo=True))).start()


def _context(config: VendorConfig, servers: Any) -> WizardContext:
    from app.ui.demo_keys import demo_key_list
    from app.ui.wiring import make_services

    demo_keys: dict[str, str] = {}
    if servers is not None:
        config = servers.configure(config)
        demo_keys = demo_key_list(servers.fixtures)
    return WizardContext(config=config, services=make_services(config), demo_keys=demo_keys)


class ReportingExceptHook:
    """Logs an unexpected exception (redacted) and shows it in a dialog to copy."""

    def __init__(self, context: WizardContext) -> None:
        self._context = context
        self.reported = 0
        self.last_dialog: ErrorReportDialog | None = None

    def __call__(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        # Imported here, on the first crash: nothing else needs them, and start-up is faster.
        from app.ui.error_dialog import ErrorReportDialog
        from app.ui.support_report import crash_report

        self.reported += 1
        text = "".join(traceback.format_exception(kind, error, tb))
        report = crash_report(self._context.config, text, self._context.key)
        log.error("unexpected error:\n%s", report)
        config = self._context.config
        dialog = ErrorReportDialog(
            report,
            product=config.product_name,
            vendor=config.vendor_name,
            parent=QApplication.activeWindow(),
        )
        self.last_dialog = dialog
        dialog.open()  # not exec(): a nested loop inside an excepthook invites re-entrancy

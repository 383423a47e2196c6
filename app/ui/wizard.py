"""The activation wizard: pages, navigation between them, and the actions problems offer."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from app.config import VendorConfig
from app.i18n import _
from app.ui.accessibility import name_images
from app.ui.context import WizardContext
from app.ui.pages.activating_page import ActivatingPage
from app.ui.pages.device_page import DevicePage
from app.ui.pages.ids import PageId
from app.ui.pages.key_page import KeyPage
from app.ui.pages.offline_load_page import OfflineLoadPage
from app.ui.pages.offline_request_page import OfflineRequestPage
from app.ui.pages.result_page import ResultPage
from app.ui.pages.status_page import StatusPage
from app.ui.theme import logo_pixmap, wizard_style
from app.ui.workers import run_in_worker

log = logging.getLogger(__name__)

_SEAT_ACTIONS = frozenset({"free_seat", "manage_devices"})
_NETWORK_SETTINGS = {
    "win32": "ms-settings:network-proxy",
    "darwin": "x-apple.systempreferences:com.apple.preference.network",
}


class ActivationWizard(QWizard):
    """Opens on the status page, which hands over to the key page when nothing is stored.

    ``closed`` fires once the window really closed (after a running activation stopped).
    """

    closed = Signal()

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._closing = False
        config = context.config
        self.setWindowTitle(window_title(config))
        self.setWizardStyle(wizard_style())
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setPixmap(QWizard.WizardPixmap.LogoPixmap, logo_pixmap(config, 48))
        # The header's logo label gets its picture per page: name it whenever pages change.
        logo_name = _("{vendor} logo").format(vendor=config.vendor_name)
        self.currentIdChanged.connect(lambda _id: name_images(self, logo_name))
        self.setMinimumSize(640, 480)
        self.resize(720, 540)
        self.status_page = StatusPage(context)
        self.key_page = KeyPage(context)
        self.device_page = DevicePage(context)
        self.activating_page = ActivatingPage(context)
        self.result_page = ResultPage(context)
        self.offline_request_page = OfflineRequestPage(context)
        self.offline_load_page = OfflineLoadPage(context)
        for page_id, page in (
            (PageId.STATUS, self.status_page),
            (PageId.KEY, self.key_page),
            (PageId.DEVICE, self.device_page),
            (PageId.ACTIVATING, self.activating_page),
            (PageId.RESULT, self.result_page),
            (PageId.OFFLINE_REQUEST, self.offline_request_page),
            (PageId.OFFLINE_LOAD, self.offline_load_page),
        ):
            self.setPage(page_id, page)
        self.setStartId(PageId.STATUS)
        self.status_page.not_activated.connect(lambda: self.go_to(PageId.KEY))
        self.status_page.action_requested.connect(self.handle_action)
        self.result_page.action_requested.connect(self.handle_action)
        self.activating_page.finished.connect(self._after_activation)
        self.key_page.offline_requested.connect(lambda: self.handle_action("offline"))
        self.offline_request_page.online_requested.connect(lambda: self.go_to(PageId.KEY))
        self._offer_way_back()

    # --- the way back from a problem ------------------------------------------------------

    def _offer_way_back(self) -> None:
        """A Back button on the result page's problems: QWizard has none after the commit
        page, so this one restarts at the device page (what was typed is kept)."""
        back = QWizard.WizardButton.CustomButton1
        self.setButtonText(back, self.buttonText(QWizard.WizardButton.BackButton))
        self.button(back).setAccessibleDescription(
            _("Goes back to this computer's name. Your key and the name are kept.")
        )
        self.customButtonClicked.connect(lambda _which: self.back_to_device())
        self.currentIdChanged.connect(lambda _id: self._update_way_back())
        self._update_way_back()

    def _update_way_back(self) -> None:
        # The button is in the layout only when offered (a laid-out button always shows).
        problem = self.currentId() == PageId.RESULT and self.result_page.showing_problem
        W = QWizard.WizardButton  # noqa: N806 - a short alias for the layout below
        back = [W.CustomButton1] if problem else []
        ends = [W.NextButton, W.CommitButton, W.FinishButton]
        if sys.platform == "darwin":
            self.setButtonLayout([W.Stretch, W.CancelButton, *back, W.BackButton, *ends])
        else:
            self.setButtonLayout([W.Stretch, *back, W.BackButton, *ends, W.CancelButton])

    def back_to_device(self) -> None:
        """Back from a problem to the device page, through the key page (so Back works
        there too), with the key and the computer's name kept."""
        self.result_page.stop_countdown()

        def restart() -> None:
            self._restart_at(PageId.KEY)
            if self.key_page.isComplete():
                self.next()

        QTimer.singleShot(0, self, restart)

    # --- navigation ---------------------------------------------------------------------

    def go_to(self, page_id: PageId) -> None:
        """Jump to ``page_id`` as a fresh start (the pages keep what the user typed).

        Deferred to the event loop: callers are often slots of a button on the page being
        left, and restarting the wizard inside that button's own signal is not safe."""
        self.result_page.stop_countdown()
        QTimer.singleShot(0, self, lambda: self._restart_at(page_id))

    def _restart_at(self, page_id: PageId) -> None:
        self.setStartId(page_id)
        self.restart()

    def retry_activation(self) -> None:
        self.go_to(PageId.ACTIVATING)

    # --- actions offered by problems and the status page --------------------------------

    def handle_action(self, action: str) -> None:
        log.info("action %s", action)
        config = self.context.config
        if action == "retry":
            self.retry_activation()
        elif action == "activate":
            self.activate_again()
        elif action in ("reenter_key", "change_key"):
            self.go_to(PageId.KEY)
        elif action == "offline":
            self.go_to(PageId.OFFLINE_REQUEST)
        elif action in _SEAT_ACTIONS:
            self.open_devices_dialog()
        elif action == "renew":
            self._open_url(config.renew_url or config.portal_url or config.support_url)
        elif action == "contact_support":
            self.contact_support()
        elif action == "open_settings":
            self.open_network_settings()
        elif action == "proxy_sign_in":
            self.sign_in_to_proxy()
        elif action == "close":
            self.reject()
        else:
            log.warning("no handler for action %s; offering support instead", action)
            self.contact_support()

    def activate_again(self) -> None:
        """Activate this computer again with the key saved on it (one click); the key page
        when none is saved."""
        record = self.status_page.record
        services = self.context.services
        if record is None:
            self.go_to(PageId.KEY)
            return

        def with_key(key: str | None) -> None:
            if not key:
                self.go_to(PageId.KEY)
                return
            self.context.key, self.context.device_name = key, record.device_name
            self.context.identity = None
            self.go_to(PageId.ACTIVATING)

        run_in_worker(
            lambda: services.status.stored_key(),
            name="status.stored_key",
            on_finished=with_key,
            on_failed=lambda _error: self.go_to(PageId.KEY),
            context=self,
        )

    def contact_support(self) -> None:
        config = self.context.config
        if config.support_url:
            self._open_url(config.support_url)
        elif config.support_email:
            self._open_url(f"mailto:{config.support_email}")
        else:
            QMessageBox.information(
                self,
                _("Contact support"),
                _(
                    "Please contact {vendor}. Use “Copy details for support” and paste the "
                    "details into your message."
                ).format(vendor=config.vendor_name),
            )

    def open_network_settings(self) -> None:
        """The system's network/proxy settings where a link exists, else a short hint."""
        url = _NETWORK_SETTINGS.get(sys.platform)
        if url and QDesktopServices.openUrl(QUrl(url)):
            return
        QMessageBox.information(
            self,
            _("Connection settings"),
            _(
                "Open your system's network settings and check the proxy settings there. On a "
                "company network, your IT team can tell you which settings to use."
            ),
        )

    def sign_in_to_proxy(self) -> None:
        """Sign in to the proxy that answered 407, then try again what it stopped."""
        from app.ui.proxy_sign_in_dialog import sign_in_to_proxy  # loaded on first use

        on_status = self.currentId() == PageId.STATUS
        error = self.status_page.last_problem if on_status else self.context.error
        sign_in_to_proxy(self, self.context, error, self._after_proxy_sign_in)

    def _after_proxy_sign_in(self) -> None:
        if self.currentId() == PageId.STATUS:
            self.status_page.check_now()
        else:
            self.retry_activation()

    def open_devices_dialog(self) -> None:
        """Show the license's devices; after a seat was freed, a stopped activation resumes."""
        # Imported on first use: the dialog and its table model are not needed to paint.
        from app.ui.devices_dialog import DevicesDialog

        context = self.context
        # The typed key: before anything is stored, it is the only key there is.
        resuming = self.currentId() == PageId.RESULT and self.result_page.showing_problem
        dialog = DevicesDialog(
            context.config, context.services, key=context.key, resuming=resuming, parent=self
        )
        dialog.exec()
        if dialog.freed_seat and resuming:
            self.retry_activation()
        elif self.currentId() == PageId.STATUS:
            self.status_page.check_now()

    def _open_url(self, url: str | None) -> None:
        if not url:
            self.contact_support()
            return
        if not QDesktopServices.openUrl(QUrl(url)):
            QMessageBox.information(
                self, _("Open web page"), _("Please open {url} in your browser.").format(url=url)
            )

    # --- closing ------------------------------------------------------------------------

    def reject(self) -> None:
        """Cancel/Escape/close: a running activation is stopped and undone first."""
        if self.activating_page.running:
            if self.activating_page.request_cancel():
                self._closing = True
                self.button(QWizard.WizardButton.CancelButton).setEnabled(False)
            return
        self._finish_closing()
        super().reject()

    def accept(self) -> None:
        self._finish_closing()
        super().accept()

    def _after_activation(self) -> None:
        if self._closing:
            self._closing = False
            self.button(QWizard.WizardButton.CancelButton).setEnabled(True)
            self.reject()

    def _finish_closing(self) -> None:
        self.result_page.stop_countdown()
        self.closed.emit()


def window_title(config: VendorConfig) -> str:
    """The wizard's title; also the display name Qt appends to every dialog's title."""
    return _("{product} activation").format(product=config.product_name)

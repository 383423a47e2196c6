"""Wiring: one shared LicentricClient (one pooled connection) and the services around it,
for this user's own activation or the machine-wide one (``scope``)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from app.api import LicentricClient, RelayClient
from app.api.proxies import ProxySettings
from app.config import VendorConfig
from app.domain.proxy_sign_in import ProxyCredentials
from app.platform.machine import is_admin, system_data_dir
from app.platform.machine_store import MachineActivationStore, MachineKeyStore
from app.platform.paths import data_dir as default_data_dir
from app.platform.paths import demo_app_id, demo_data_dir
from app.platform.secrets import SecretStore
from app.platform.state import ActivationStore
from app.services.activation import ActivationService
from app.services.devices import DevicesService
from app.services.heartbeat import HeartbeatService
from app.services.license_view import LicenseViewSource
from app.services.offline import OfflineService
from app.services.ports import KeyStore, RecordStore
from app.services.proxy_sign_in import ProxySignInService
from app.services.status import StatusService
from app.services.transfer import TransferService

#: ``user``: this account's own activation; ``machine``: the one for every user (system
#: folder, admin rights to change); ``auto``: the user's own if it has one, else the machine's.
Scope = Literal["user", "machine", "auto"]


#: How long a rate limit may be waited out silently inside a call. A window (``interactive``)
#: shows any longer wait as a countdown the user can see; a script just waits a little.
INTERACTIVE_RETRY_WAIT = 1.0
SCRIPT_RETRY_WAIT = 10.0


@dataclass
class Services:
    """Everything the UI and the CLI call; ``close()`` releases the connections.

    ``use_scope`` points the services that keep state (activation, status, transfer, devices,
    heartbeat, offline) at this user's own activation or the machine-wide one; the client and
    the proxy sign-in stay.
    """

    config: VendorConfig
    client: LicentricClient
    proxy_sign_in: ProxySignInService
    user_dir: Path
    retry_wait: float = SCRIPT_RETRY_WAIT
    scope: Literal["user", "machine"] = field(init=False, default="user")
    data_dir: Path = field(init=False)
    key_store: KeyStore = field(init=False)
    activation: ActivationService = field(init=False)
    status: StatusService = field(init=False)
    transfer: TransferService = field(init=False)
    devices: DevicesService = field(init=False)
    heartbeat: HeartbeatService = field(init=False)
    offline: OfflineService = field(init=False)

    @property
    def machine_wide(self) -> bool:
        """True when these services work on the activation for every user of the computer."""
        return self.scope == "machine"

    @property
    def can_change_machine_wide(self) -> bool:
        """True when this process has the administrator rights machine-wide changes need."""
        return is_admin()

    def use_scope(self, scope: Scope) -> None:
        """Work on ``scope`` from now on (reads the disk for ``auto``: call it in a worker)."""
        config = self.config
        chosen = _resolve_scope(scope, self.user_dir, system_data_dir(config.app_id))
        directory = system_data_dir(config.app_id) if chosen == "machine" else self.user_dir
        secrets, store = _stores(config, chosen, directory)
        if hasattr(self, "devices"):
            self.devices.close()
        relay = _relay_factory(config, self.retry_wait, self.proxy_sign_in)
        self.scope, self.data_dir, self.key_store = chosen, directory, secrets
        self.devices = DevicesService(config, relay, secrets, store)
        views = LicenseViewSource(self.devices)  # the relay's license view, when configured
        self.activation = ActivationService(config, self.client, secrets, store, directory, views)
        self.status = StatusService(config, self.client, secrets, store, views)
        self.transfer = TransferService(config, self.client, secrets, store)
        self.heartbeat = HeartbeatService(self.client, secrets, store, directory)
        self.offline = OfflineService(config, secrets, store, directory)

    def close(self) -> None:
        self.devices.close()
        self.client.close()

    def __enter__(self) -> Services:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def build_services(
    config: VendorConfig,
    *,
    data_dir: Path | None = None,
    interactive: bool = False,
    scope: Scope = "user",
    proxy_credentials: ProxyCredentials | None = None,
) -> Services:
    """Services for ``config``; state lives in ``data_dir`` (default: the user data dir,
    or ``ACTIVATION_WIZARD_DATA_DIR``) or, for ``scope="machine"``, in the system folder.
    Nothing is sent until a service method is called; the proxy is chosen then."""
    user_dir = Path(data_dir) if data_dir is not None else default_data_dir(config.app_id)
    if config.demo:  # a demo activation never counts for the product (nor machine-wide)
        user_dir, scope = demo_data_dir(user_dir), "user"
    retry_wait = INTERACTIVE_RETRY_WAIT if interactive else SCRIPT_RETRY_WAIT
    proxy = ProxySettings(config.proxy, config.proxy_pac_url, proxy_credentials)
    client = LicentricClient(
        config.api_url,
        timeout=config.timeout_seconds,
        signing_key=config.signing_key,
        max_retry_wait=retry_wait,
        proxy=proxy,
    )
    sign_in = ProxySignInService(config.app_id, client, proxy_credentials)
    services = Services(config, client, sign_in, user_dir, retry_wait)
    services.use_scope(scope)
    sign_in.on_change(lambda: services.devices.close())  # the relay starts over signed in
    return services


def _resolve_scope(scope: Scope, user_dir: Path, machine_dir: Path) -> Literal["user", "machine"]:
    if scope != "auto":
        return scope
    if ActivationStore(user_dir).load() is not None:
        return "user"  # a user's own activation wins over the machine-wide one
    return "machine" if MachineActivationStore(machine_dir).load() is not None else "user"


def _stores(
    config: VendorConfig, scope: str, directory: Path
) -> tuple[SecretStore | MachineKeyStore, RecordStore]:
    if scope == "machine":
        return MachineKeyStore(config.app_id, directory), MachineActivationStore(directory)
    keychain_id = demo_app_id(config.app_id) if config.demo else config.app_id
    return SecretStore(keychain_id, directory), ActivationStore(directory)


def _relay_factory(  # noqa: ANN202 - a factory or None
    config: VendorConfig, retry_wait: float, sign_in: ProxySignInService
):
    relay_url = config.relay_url
    if not relay_url:
        return None
    proxy = ProxySettings(config.proxy, config.proxy_pac_url)

    def make() -> RelayClient:
        settings = replace(proxy, credentials=sign_in.current)  # the sign-in given by then
        return RelayClient(
            relay_url, timeout=config.timeout_seconds, max_retry_wait=retry_wait, proxy=settings
        )

    return make

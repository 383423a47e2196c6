"""Wiring: one shared LicentricClient (one pooled connection) and the services around it,
for this user's own activation or the machine-wide one (``scope``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from app.api import LicentricClient, RelayClient
from app.api.proxies import ProxySettings
from app.config import VendorConfig
from app.domain.proxy_sign_in import ProxyCredentials
from app.platform.machine import system_data_dir
from app.platform.machine_store import MachineActivationStore, MachineKeyStore
from app.platform.paths import data_dir as default_data_dir
from app.platform.secrets import SecretStore
from app.platform.state import ActivationStore
from app.services.activation import ActivationService
from app.services.devices import DevicesService
from app.services.heartbeat import HeartbeatService
from app.services.offline import OfflineService
from app.services.ports import DeviceRelay, KeyStore, RecordStore
from app.services.proxy_sign_in import ProxySignInService
from app.services.status import StatusService
from app.services.transfer import TransferService

#: ``user``: this account's own activation; ``machine``: the one for every user (system
#: folder, admin rights to change); ``auto``: the user's own if it has one, else the machine's.
Scope = Literal["user", "machine", "auto"]


@dataclass
class Services:
    """Everything the UI and the CLI call; ``close()`` releases the connections."""

    config: VendorConfig
    data_dir: Path
    activation: ActivationService
    status: StatusService
    transfer: TransferService
    devices: DevicesService
    heartbeat: HeartbeatService
    offline: OfflineService
    client: LicentricClient
    proxy_sign_in: ProxySignInService
    scope: Literal["user", "machine"] = "user"
    key_store: KeyStore | None = None

    @property
    def machine_wide(self) -> bool:
        """True when these services work on the activation for every user of the computer."""
        return self.scope == "machine"

    def close(self) -> None:
        self.devices.close()
        self.client.close()

    def __enter__(self) -> Services:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


#: How long a rate limit may be waited out silently inside a call. A window (``interactive``)
#: shows any longer wait as a countdown the user can see; a script just waits a little.
INTERACTIVE_RETRY_WAIT = 1.0
SCRIPT_RETRY_WAIT = 10.0


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
    machine_dir = system_data_dir(config.app_id)
    chosen = _resolve_scope(scope, user_dir, machine_dir)
    directory = machine_dir if chosen == "machine" else user_dir
    secrets, store = _stores(config, chosen, directory)
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
    relay = _relay_factory(config, retry_wait, proxy, sign_in)
    devices = DevicesService(config, relay, secrets, store)
    sign_in.on_change(devices.close)  # the relay client starts over with the new sign-in
    return Services(
        config=config,
        data_dir=directory,
        activation=ActivationService(config, client, secrets, store, directory),
        status=StatusService(config, client, secrets, store),
        transfer=TransferService(config, client, secrets, store),
        devices=devices,
        heartbeat=HeartbeatService(client, secrets, store),
        offline=OfflineService(config, secrets, store, directory),
        client=client,
        proxy_sign_in=sign_in,
        scope=chosen,
        key_store=secrets,
    )


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
    return SecretStore(config.app_id, directory), ActivationStore(directory)


def _relay_factory(  # noqa: ANN202 - a factory or None
    config: VendorConfig, retry_wait: float, proxy: ProxySettings, sign_in: ProxySignInService
):
    relay_url = config.relay_url
    if not relay_url:
        return None

    def make() -> DeviceRelay:
        settings = replace(proxy, credentials=sign_in.current)  # the sign-in given by then
        return RelayClient(
            relay_url, timeout=config.timeout_seconds, max_retry_wait=retry_wait, proxy=settings
        )

    return make

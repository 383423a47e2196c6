"""Wiring: one shared LicentricClient (one pooled connection) and the services around it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.api import LicentricClient, RelayClient
from app.config import VendorConfig
from app.platform.paths import data_dir as default_data_dir
from app.platform.secrets import SecretStore
from app.platform.state import ActivationStore
from app.services.activation import ActivationService
from app.services.devices import DevicesService
from app.services.heartbeat import HeartbeatService
from app.services.offline import OfflineService
from app.services.ports import DeviceRelay
from app.services.status import StatusService
from app.services.transfer import TransferService


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
    config: VendorConfig, *, data_dir: Path | None = None, interactive: bool = False
) -> Services:
    """Services for ``config``; state lives in ``data_dir`` (default: the user data dir,
    or ``ACTIVATION_WIZARD_DATA_DIR``). Nothing is sent until a service method is called."""
    directory = Path(data_dir) if data_dir is not None else default_data_dir(config.app_id)
    retry_wait = INTERACTIVE_RETRY_WAIT if interactive else SCRIPT_RETRY_WAIT
    client = LicentricClient(
        config.api_url,
        timeout=config.timeout_seconds,
        signing_key=config.signing_key,
        max_retry_wait=retry_wait,
    )
    secrets = SecretStore(config.app_id, directory)
    store = ActivationStore(directory)
    return Services(
        config=config,
        data_dir=directory,
        activation=ActivationService(config, client, secrets, store, directory),
        status=StatusService(config, client, secrets, store),
        transfer=TransferService(config, client, secrets, store),
        devices=DevicesService(config, _relay_factory(config, retry_wait), secrets, store),
        heartbeat=HeartbeatService(client, secrets, store),
        offline=OfflineService(config, secrets, store, directory),
        client=client,
    )


def _relay_factory(config: VendorConfig, retry_wait: float):  # noqa: ANN202 - factory or None
    relay_url = config.relay_url
    if not relay_url:
        return None

    def make() -> DeviceRelay:
        return RelayClient(relay_url, timeout=config.timeout_seconds, max_retry_wait=retry_wait)

    return make

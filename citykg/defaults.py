"""Settings the library and the command line share: environment variables and defaults.

A module of its own, free of heavy imports, so that the command line can show them in
``--help`` without loading rdflib.
"""

from __future__ import annotations

__all__ = [
    "CONFIG_ENV",
    "DEFAULT_TIMEOUT",
    "HOME_ENV",
    "MAX_RESPONSE_ENV",
    "PASSWORD_ENV",
    "STORE_ENV",
    "USER_ENV",
]

#: The environment variable that points every command at one store.
STORE_ENV = "CITYKG_STORE"
#: The environment variable naming the home city in a store with several homes.
HOME_ENV = "CITYKG_HOME"
#: The environment variable holding an endpoint's password (never a command-line option).
PASSWORD_ENV = "CITYKG_ENDPOINT_PASSWORD"
#: The environment variable holding an endpoint's user name.
USER_ENV = "CITYKG_ENDPOINT_USER"
#: Seconds a command may wait for an endpoint, over all its requests.
DEFAULT_TIMEOUT = 30.0
#: The environment variable with the largest endpoint response citykg reads, in megabytes.
MAX_RESPONSE_ENV = "CITYKG_MAX_RESPONSE_MB"
#: The environment variable naming the folder of citykg's settings (what push remembers);
#: default: citykg's folder in the user's config directory.
CONFIG_ENV = "CITYKG_CONFIG_DIR"

"""福安监 FuAnJian Desktop — the Qt-free core: models, rules and services.

Nothing in this package may import PySide6; the GUI in ``ui/`` is a thin shell over it,
and the same services serve the headless commands, the tests and (later) the HQ server.
"""

__version__ = "0.1.0"
APP_NAME = "福安监"
APP_ID = "FuAnJian"

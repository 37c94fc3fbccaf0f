"""The PySide6 shell over the core: thin widgets that call ``fuanjian_desktop`` services."""

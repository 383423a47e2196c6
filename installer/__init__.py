"""Build tooling for the frozen program (PyInstaller spec, build script, installer samples)."""

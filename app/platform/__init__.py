"""Everything that touches this computer: fingerprint, keychain, state files, diagnostics."""

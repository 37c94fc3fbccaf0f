"""The sync protocol both the laptops and the HQ server speak (docs/sync-protocol.md)."""

"""The evidence store: photos kept once by content hash under the data folder."""

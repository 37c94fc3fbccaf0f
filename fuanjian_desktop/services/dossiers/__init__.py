"""The case file (案卷): evidence intake, the compiled volume, its check and its archiving."""

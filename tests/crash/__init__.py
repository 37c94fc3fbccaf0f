"""The crash harness: a child performing the app's writes, killed with SIGKILL, then checked."""

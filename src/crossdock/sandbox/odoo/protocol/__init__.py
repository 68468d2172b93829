"""The wire protocols the sandbox speaks: JSON-RPC, JSON-2 and the web version routes."""

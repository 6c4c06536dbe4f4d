"""Forms of the client journey, one module per step (they validate; services write)."""

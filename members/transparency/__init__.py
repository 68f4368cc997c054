"""The public log: every public fact of the register as one entry of an RFC 9162 Merkle tree."""

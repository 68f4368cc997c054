"""The register itself: organisations and their USCC, memberships and their event log, join applications, documents, withdrawals."""

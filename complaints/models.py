"""Reports of violations (Art 21), their verification and measures, and mediation (Art 22)."""

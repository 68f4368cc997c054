"""The member companies' side of cases: answering correction orders and asking for mediation."""

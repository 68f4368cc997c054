"""Public reports of breaches (Art 21): verification, correction orders, sanctions, public notices, and mediation of disputes between members (Art 22)."""

"""Amendments (Art 24): proposals, sponsors, ballots with a frozen electorate, the tally, and the versions they adopt."""

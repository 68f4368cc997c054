"""The complaints API: the public report endpoint and the complaint officers' case actions, one class per action."""

"""Shared pieces every app uses: errors, clock, storage, the policy (who may act), transitions, append-only models, API base."""

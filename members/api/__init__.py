"""The register's read-only public REST API and the staff/portal write actions, one small class per action."""

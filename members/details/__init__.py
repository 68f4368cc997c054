"""The public details of an organisation (names, roles, region, public code) as effective-dated versions.

Every view of the past (bulletins and their re-renders, status on a date, the profile's history, exports
as of a date) reads the version of its own date, so that a rename never rewrites what was published.
"""

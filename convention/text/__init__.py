"""The convention's text: version 1 from its source file, later versions from adopted amendments, and their diffs."""

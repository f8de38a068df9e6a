"""The claim scrubber: a registry of rules that explain themselves (see ``registry``), one rule per
module, grouped in families by category (``rules/<family>/``)."""

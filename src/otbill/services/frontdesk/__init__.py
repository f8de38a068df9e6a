"""The front desk: patients, coverage, plans of care, authorizations, the schedule."""

"""Self-pay patients: the clinic's discount rules and cash packages (``settings``), and what a
self-pay visit puts on the patient's account (``charges``)."""

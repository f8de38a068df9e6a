"""Patient payments: take a payment (applied oldest first or as picked), refund a credit, apply
credit held, small-balance and hardship write-offs with a second person's approval, receipts and
the day's deposit. ``take``: payments, refunds, credits and ``payments_of`` (what statements
read); ``standing``: what the patient owes item by item and the credit; ``write_offs``;
``deposit``; ``receipts``.
"""

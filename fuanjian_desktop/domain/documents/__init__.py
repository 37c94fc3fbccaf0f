"""What documents say: the types, dates and wording, references to other documents, an order's
deadlines and the 检查情况.
"""

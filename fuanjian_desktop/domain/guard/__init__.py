"""The procedure guard: every defect a 案卷评查 would find, by area (procedure and periods, penalty
basis, execution, 行政强制, documents).
"""

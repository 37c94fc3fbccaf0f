"""Inquiry transcripts (询问笔录) and the evidence they become."""

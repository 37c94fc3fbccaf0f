"""The transcript editor (询问笔录, 陈述申辩笔录): a record typed at speaking pace."""

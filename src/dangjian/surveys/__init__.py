"""Surveys and votes (问卷与投票): written by a hospital office or a branch secretary for
the members of a subtree, answered on the phone, anonymous or named, with results."""

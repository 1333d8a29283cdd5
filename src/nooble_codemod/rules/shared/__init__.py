"""Judgement the rules of several languages share (query chains, line helpers)."""

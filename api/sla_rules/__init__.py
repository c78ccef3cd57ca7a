"""SLA and statutory rules (时限规则): list, create, change, retire, preview the deadlines a change moves, history."""

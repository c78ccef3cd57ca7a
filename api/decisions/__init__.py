"""决策表: the decision tables (DMN) the processes use, edited in the browser."""

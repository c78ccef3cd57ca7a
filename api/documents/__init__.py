"""Documents (文书) endpoints: make, preview, list, print copies, attach the signed scan."""

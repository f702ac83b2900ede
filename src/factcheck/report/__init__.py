"""Reports: one versioned model; each output format is a function Report -> str."""

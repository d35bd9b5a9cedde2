print("ladder-bench: not yet written")

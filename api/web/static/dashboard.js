// dashboard page: to be written.

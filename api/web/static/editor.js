// editor page: to be written.

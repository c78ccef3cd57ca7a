// queue page: to be written.

// task page: to be written.

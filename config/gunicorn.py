"""Gunicorn settings for every way the web process starts (Procfile, docker-compose, Dockerfile).

The access log shows the path without its query string (`%(U)s`): the list search is a GET, so
the request line (`%(r)s`) and the referer (`%(f)s`, the previous page's full URL) would put
every searched surname and leerlingnummer in the log. The request id links a line to the app's
JSON log.
"""

accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s "%(a)s" %({x-request-id}o)s'

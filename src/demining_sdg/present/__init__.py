"""How the report shows things: house style, number and date formats, views, HTML components, text catalogue."""

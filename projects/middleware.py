class ChineseFirstMiddleware:
    """Serve Simplified Chinese unless the visitor chose another language with the switch.

    Django would otherwise follow the browser's Accept-Language, and an office PC or a
    phone set up in English would show staff and residents a language the community does
    not work in. The switch stores its choice in the language cookie, which still wins.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)

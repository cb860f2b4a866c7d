def ilp(request):
    return {}

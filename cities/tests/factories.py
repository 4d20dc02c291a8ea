import factory

from cities.models import City, MemberState


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"Test City {n}")
    slug = factory.Sequence(lambda n: f"test-city-{n}")
    member_state = factory.LazyFunction(lambda: MemberState.objects.get(code="TH"))
    latitude = "13.0000"
    longitude = "100.0000"
    joined_year = 2025

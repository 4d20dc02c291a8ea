from rest_framework import serializers


class RollupFiguresSerializer(serializers.Serializer):
    projects = serializers.IntegerField()
    cost_usd = serializers.DecimalField(source="cost", max_digits=20, decimal_places=2)
    funding_secured_usd = serializers.DecimalField(source="funded", max_digits=20, decimal_places=2)
    gap_usd = serializers.DecimalField(source="gap", max_digits=20, decimal_places=2)
    percent_complete = serializers.DecimalField(
        source="percent", max_digits=5, decimal_places=1, help_text="Weighted by cost; the plain mean without costs."
    )
    kpis_on_track = serializers.IntegerField(source="kpis_on")
    kpis_off_track = serializers.IntegerField(source="kpis_off")


class RollupGroupSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="A member state's code, a city's, focus area's or outcome's slug, a stage.")
    label = serializers.CharField()
    figures = RollupFiguresSerializer()


class RollupTrendSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    reports = serializers.IntegerField()
    percent_complete = serializers.DecimalField(source="percent", max_digits=5, decimal_places=1)
    funding_secured_usd = serializers.DecimalField(source="funded", max_digits=20, decimal_places=2)


class RollupPartnershipsSerializer(serializers.Serializer):
    stage = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()

    def to_representation(self, instance):
        stage, label, count = instance
        return {"stage": stage, "label": label, "count": count}


class RollupProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    city = serializers.CharField(source="city_slug")
    stage = serializers.CharField()
    cost_usd = serializers.DecimalField(source="cost", max_digits=20, decimal_places=2)
    funding_secured_usd = serializers.DecimalField(source="funded", max_digits=20, decimal_places=2)
    percent_complete = serializers.IntegerField(source="percent")
    reported = serializers.BooleanField(help_text="A report for the year itself is on file.")
    kpis_on_track = serializers.IntegerField(source="kpis_on")
    kpis_off_track = serializers.IntegerField(source="kpis_off")


class RollupSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    network = RollupFiguresSerializer()
    by_member_state = RollupGroupSerializer(many=True)
    by_city = RollupGroupSerializer(many=True)
    by_focus_area = RollupGroupSerializer(many=True)
    by_strategic_outcome = RollupGroupSerializer(source="by_outcome", many=True)
    by_stage = RollupGroupSerializer(many=True)
    partnerships = RollupPartnershipsSerializer(many=True)
    trend = RollupTrendSerializer(many=True)
    projects = serializers.SerializerMethodField(help_text="For network members; empty for others.")

    def get_projects(self, rollup) -> list[dict]:
        if not self.context.get("may_see_projects"):
            return []
        return RollupProjectSerializer(rollup.projects, many=True).data

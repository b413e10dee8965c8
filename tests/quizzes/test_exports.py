from quizzes import charts


def test_the_gain_chart_places_scores_on_a_0_to_100_axis():
    chart = charts.dumbbell_chart(
        [("Léa Dubois", 40, 80), ("Un nom vraiment beaucoup trop long pour la marge", 60, None)],
        average=("", 50, 80),
    )
    first, second, average = chart["rows"]
    assert first.x_before == charts.LABEL_WIDTH + 0.4 * charts.PLOT_WIDTH
    assert first.x_after == charts.LABEL_WIDTH + 0.8 * charts.PLOT_WIDTH
    assert (first.delta, first.direction) == (40, "up")
    assert second.delta is None and second.x_after is None
    assert second.label.endswith("…") and len(second.label) <= charts.LABEL_MAX
    assert average.is_average and average.y > second.y
    assert [t["label"] for t in chart["ticks"]] == ["0 %", "25 %", "50 %", "75 %", "100 %"]

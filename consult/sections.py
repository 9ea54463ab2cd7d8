"""Extension point of the meeting page: wishes raised at a meeting and ballots taken in the
room show up there without the meetings code knowing about them (see projects.sections).

How to attach something to a meeting
------------------------------------
1. Point your model at the meeting: ``meeting = models.ForeignKey("consult.Meeting",
   null=True, blank=True, on_delete=models.SET_NULL, related_name="wishes")``.
2. Register a panel from your ``consult/hooks/<feature>.py``::

       from consult.sections import meeting_panels
       from projects.sections import Section

       def wishes_panel(meeting, request):
           wishes = list(meeting.wishes.select_related(...)[:50])   # fixed number of queries
           if not wishes and not request.user.has_perm("consult.change_meeting", meeting):
               return None                                           # hide the panel
           return {"wishes": wishes}

       meeting_panels.register(Section("wishes", "consult/wishes/meeting_panel.html", wishes_panel, order=10))

3. The staff meeting page (``consult:meeting``, ``MeetingDetailView``) renders every panel
   after the action items, each template receiving ``section`` (your dict) and ``meeting``.

Who sees the page: everyone with ``consult.view_meeting`` — office staff, building heads,
sub-district staff and the departments invited to the meeting. A panel that shows residents'
names, rooms or phone numbers must check ``consult.view_meeting_people`` (office staff and
sub-district only); one that offers a form must check ``consult.change_meeting``.
"""

from projects.sections import SectionRegistry

meeting_panels = SectionRegistry()

# The staff ballot page (``consult:ballot``) and a wish's staff page (``consult:wish_manage``)
# render their panels the same way, after the page's own sections: a template receives
# ``section`` and ``ballot`` (or ``wish``). Used by notify/ for "remind households that have
# not voted" and "tell the submitter".
ballot_panels = SectionRegistry()
wish_panels = SectionRegistry()

import { Button, Input, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { useChat } from '../../hooks/use-chat';

/** One page: the login form, then the conversation with the peer. */
export default function Chat() {
  const chat = useChat();
  // `?user=…&peer=…&server=…` pre-fills the form (handy for a second device or a test).
  const { params } = useRouter();
  const [form, setForm] = useState(() => ({
    user: decodeURIComponent(params.user ?? 'alice'),
    peer: decodeURIComponent(params.peer ?? 'bob'),
    server: decodeURIComponent(params.server ?? 'ws://127.0.0.1:3000/websocket'),
  }));
  const [draft, setDraft] = useState('');
  const field = (key) => (event) => setForm({ ...form, [key]: event.detail.value });

  const send = () => {
    if (!draft) return;
    chat.send(draft);
    setDraft('');
  };

  return (
    <View className="chat" data-state={chat.state}>
      {chat.me === '' ? (
        <View className="login">
          <Input className="login__user" value={form.user} onInput={field('user')} placeholder="your user id" />
          <Input className="login__peer" value={form.peer} onInput={field('peer')} placeholder="peer's user id" />
          <Input className="login__server" value={form.server} onInput={field('server')} placeholder="ws://…" />
          <Button className="login__submit" onClick={() => chat.login(form.user, form.peer, form.server)}>
            Log in
          </Button>
        </View>
      ) : (
        <View className="session">
          <Text className="session__title">
            {chat.me} → {chat.peer} ({chat.state})
          </Text>
          {chat.messages.map((message) => (
            <View key={message.fp} className="message" data-from={message.from} data-status={message.status}>
              <Text className="message__text">
                {message.from}: {message.text}
              </Text>
              <Text className="message__status">{message.status}</Text>
            </View>
          ))}
          <Input
            className="session__draft"
            value={draft}
            onInput={(event) => setDraft(event.detail.value)}
            placeholder="message"
          />
          <Button className="session__send" onClick={send}>
            Send
          </Button>
          <Button className="session__logout" onClick={chat.logout}>
            Log out
          </Button>
        </View>
      )}
      {chat.notice && <Text className="notice">{chat.notice}</Text>}
    </View>
  );
}

/** The app shell: the chat session lives in `hooks/use-chat.js`, one for the app's lifetime. */
function App({ children }) {
  return children;
}

export default App;
